"""detente: repair machine-translated news on peace talks and label who takes which stance."""

from detente.normalize import Change, Normalized, Rules, normalize

__all__ = ["Change", "Normalized", "Rules", "normalize"]
__version__ = "0.1.0"
