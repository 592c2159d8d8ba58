import Attune
print("attune")
