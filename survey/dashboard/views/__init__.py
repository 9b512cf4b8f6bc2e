"""View models: what each dashboard page, the report and the command line's summary show,
assembled from the results; templates only lay them out."""
