import Attune
