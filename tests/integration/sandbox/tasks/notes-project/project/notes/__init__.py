from notes.store import add_note, count_notes, recent

__all__ = ["add_note", "count_notes", "recent"]
