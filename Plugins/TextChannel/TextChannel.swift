import AttuneCore
