"""scikit-learn's array-API estimator check runs only when scipy's array-API mode is on, and
scipy reads the switch when it is first imported: set it before any test module imports scipy."""

import os

os.environ.setdefault("SCIPY_ARRAY_API", "1")
