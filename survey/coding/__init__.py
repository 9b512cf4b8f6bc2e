"""Coding the free-text answers (docs/coding.md): the workshop's theme codebook, the coding
screen, double coding of samples, agreement between coders, settling their disagreements into a
final coding, and the CSV files of themes and codings.

themes: the codebook · queue: the answers to code, their filters and progress · codings: a
coder's coding of an answer and the final coding · samples: answers drawn for a second coder ·
agreement: coders compared · settling: disagreements and their final coding · theme_file,
coding_file: the CSV formats · routes and the *_views modules: the console pages.
"""
