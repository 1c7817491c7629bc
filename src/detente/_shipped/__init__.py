"""Files shipped inside the wheel: the default model (models/) and its training data (training_data/).

In a checkout these folders are empty here and detente reads the repository's
top-level ``models/`` and ``training_data/`` instead.
"""
