"""Password hashers: the default one, and a lighter one for one-time passwords a center hands out.

Parameters, reasons and measured costs: docs/decisions/0016-password-hashing.md.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher


class HunarArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id at OWASP's minimum (19 MiB, two passes, one lane): the hasher for every password
    a person chose. Same algorithm name as Django's, so the stored hashes are standard argon2
    strings; a hash made with other parameters (Django's defaults) is re-hashed at the next
    sign-in, as is any PBKDF2 hash.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    """For a one-time password only: random, about 50 bits, changed at first sign-in.

    Its strength is the secret's entropy, not the hash's cost, so the cost is kept low enough that
    confirming a class roster stays quick. The sign-in that uses it re-hashes the password with
    the default hasher, and the learner must then choose a new one. PBKDF2 rather than a light
    argon2: a fixed, memory-free cost for a batch of 200 hashes in one request.
    """

    algorithm = "pbkdf2_sha256_onetime"
    iterations = 50_000


ONE_TIME_HASHER = OneTimePasswordHasher.algorithm
