"""detente: repair machine-translated news on peace talks and label who takes which stance."""

from detente.normalize import Change, Normalized, normalize

__all__ = ["Change", "Normalized", "normalize"]
__version__ = "0.1.0"
