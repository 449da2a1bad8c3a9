"""Resumes: a candidate's CVs, their documents (履歴書, 職務経歴書, English CV) and public links."""
