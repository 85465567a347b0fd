"""A lighter password hasher, used only for one-time passwords a center hands out.

A one-time password is random (10 characters from a 31-symbol alphabet, about 50 bits), must be
changed at first sign-in, and is then re-hashed by Django with the default hasher. Hashing it
with Django's full PBKDF2 cost (~0.18 s here) makes confirming a class roster of 200 take over a
minute; 1/20th of the cost still leaves brute force of a 50-bit secret far out of reach.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_onetime"
    iterations = PBKDF2PasswordHasher.iterations // 20


ONE_TIME_HASHER = OneTimePasswordHasher.algorithm
