from notes import add_note, count_notes


def test_a_new_note_is_counted():
    before = count_notes()
    add_note("hello")
    assert count_notes() == before + 1
