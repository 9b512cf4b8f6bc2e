"""The demo: a realistic workshop with synthetic participants and answers (`survey demo`), and
the synthetic data the benchmarks generate in bulk.

workshop: the demo workshop · synthetic: participants' traits and answers · people: names,
ids, linking codes and answer times · corpus: what they write (corpus.yaml).
"""
