from .comments import Comment
from .contents import ActionRow, DataLine, Outcome, Priority
from .updates import ActionUpdate

__all__ = ["ActionRow", "ActionUpdate", "Comment", "DataLine", "Outcome", "Priority"]
