"""The participant experience: personal links and join codes, consent, the paged questionnaire
with autosave and resume, review and submit, in every language of the instrument."""
