"""Job runner: named jobs with run records, progress and post-load hooks."""

from zhongtai.jobs.registry import Hook, JobSpec, get_job, job, jobs, post_load_hooks, register_post_load, unregister
from zhongtai.jobs.runner import HookContext, JobContext, JobRun, get_run, list_runs, run_job

__all__ = [
    "Hook",
    "HookContext",
    "JobContext",
    "JobRun",
    "JobSpec",
    "get_job",
    "get_run",
    "job",
    "jobs",
    "list_runs",
    "post_load_hooks",
    "register_post_load",
    "run_job",
    "unregister",
]
