"""The output layer: records from processed docs to pandas frames, files and the result object."""
