"""luntan (论坛): a Chinese-first community forum engine, successor of Discuz! X3.4."""

__version__ = "0.1.0"
