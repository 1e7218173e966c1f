"""SQLAlchemy models, one module per aggregate."""
from .users import ROLES, User  # noqa: F401
from .syllabus import Function, Lesson, LessonRead, Level, Section, Unit  # noqa: F401
from .bank import Question, QuestionTag, QuestionVersion  # noqa: F401
from .papers import Paper, PaperItem  # noqa: F401
from .attempts import Attempt, Response  # noqa: F401
from .grading import Regrade, Review  # noqa: F401
from .exams import BlueprintRecord, ExamSession  # noqa: F401
from .practice import Favourite, ReviewCard, WrongItem  # noqa: F401
