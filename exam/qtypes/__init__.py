"""Question types, found by name through one registry.

Adding a type is one class with the @register decorator (the shape of CTFd's
CHALLENGE_CLASSES); nothing else in the app switches on type names.
"""
from .base import Grade, ItemView, Problem, QuestionType  # noqa: F401

QTYPES: dict[str, QuestionType] = {}


def register(cls):
    QTYPES[cls.name] = cls()
    return cls


def get_qtype(name: str) -> QuestionType:
    try:
        return QTYPES[name]
    except KeyError:
        raise KeyError(f"未知题型：{name}") from None


from . import case, choice, fill, numeric  # noqa: E402,F401  (each registers its types)
