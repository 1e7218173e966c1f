"""The syllabus as files: read (files), check (validate), render (render), write (sync)."""
