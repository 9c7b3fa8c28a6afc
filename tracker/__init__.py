"""tracker: Grade-2 Constructor (二级建造师) cases in Shanghai, from exam to registration."""

__version__ = "0.1.0"
