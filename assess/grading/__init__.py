"""Grading: the queue of submissions (leases in the database), dispatch to in-process
threads or RQ workers, and the run of one submission in the sandbox."""
