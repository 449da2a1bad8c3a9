"""Exams: authoring, candidates' timed sessions, scoring and live proctoring."""
