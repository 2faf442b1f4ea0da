"""The engine layer: folding a journal into trainee state and answering status and explain."""
