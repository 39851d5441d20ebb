"""Airflow DAG: sync one Freshdesk account into one dataset, one task per stream.

State is kept per stream (``_state/<stream>/``), so the eight tasks run side by side on one
dataset; each holds only its own stream's lock. They share the account's rate limit only
through the API's headers and 429 answers, so each task is given a share of the plan
(``--budget-share``) and the pipeline's budget follows ``X-RateLimit-Remaining``.

Exit codes of ``landed-freshdesk sync`` map to task states:

* 0: success.
* 4: success with a warning: every stream committed, some records were rejected and
  written to ``_rejected/<stream>/<run_id>.jsonl``.
* 5: another process holds the stream's lock: retried later.
* 143: stopped by SIGTERM after committing its last verified checkpoint: retried later.
* 1: the stream failed (a 403, a permanent API error): failed, Airflow's retries apply.
* 2 and 3: configuration error or invalid credentials: failed without retries, since
  retrying cannot help.

The run report (the last line of stdout, JSON) is pushed to XCom as ``run_report``.

Without Airflow installed (as in CI), ``python3 landed_freshdesk.py --print-commands``
prints the exact command and environment every task would run, so they can be executed
and checked outside a scheduler.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from datetime import datetime, timedelta

STREAMS = (
    "tickets",
    "contacts",
    "companies",
    "agents",
    "groups",
    "roles",
    "products",
    "time_entries",
)

# where the dataset lives, the CLI to run and the connection with the key; overridable
# through Airflow Variables or the environment of the scheduler
DATASET = os.environ.get("LANDED_FRESHDESK_DATASET", "/data/freshdesk")
CLI = os.environ.get("LANDED_FRESHDESK_CLI", "landed-freshdesk")
CONNECTION_ID = os.environ.get("LANDED_FRESHDESK_CONN_ID", "freshdesk_default")
PLAN = os.environ.get("LANDED_FRESHDESK_PLAN", "")
# the tasks converge on the account's limit through its headers; a share below 1 leaves room
# for the account's other apps
BUDGET_SHARE = os.environ.get("LANDED_FRESHDESK_BUDGET_SHARE", "")

# exit codes of the spec
EXIT_OK = 0
EXIT_STREAM_FAILED = 1
EXIT_CONFIG = 2
EXIT_CREDENTIALS = 3
EXIT_REJECTED = 4
EXIT_LOCKED = 5
EXIT_SIGTERM = 143


def sync_command(stream: str, dataset: str = DATASET, cli: str = CLI) -> list[str]:
    """The command one task runs for one stream."""
    return shlex.split(cli) + ["sync", "--streams", stream, "--out", dataset]


def sync_environment(api_key: str, subdomain: str, base_url: str | None) -> dict[str, str]:
    """The environment of one task: the key travels only here, never on the command line."""
    env = {
        "FRESHDESK_API_KEY": api_key,
        "FRESHDESK_SUBDOMAIN": subdomain,
        "PIPELINE_LOG_FORMAT": "json",
    }
    if BUDGET_SHARE:
        env["PIPELINE_BUDGET_SHARE"] = BUDGET_SHARE
    if PLAN:
        env["PIPELINE_PLAN"] = PLAN
    if base_url:
        env["FRESHDESK_BASE_URL"] = base_url
    return env


def last_json_line(stdout: str) -> dict | None:
    """The run report: the last line of stdout that parses as a JSON object."""
    for line in reversed(stdout.strip().splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def outcome(exit_code: int) -> str:
    """What a task makes of an exit code: success, warning, retry, fail or fail_fast."""
    if exit_code == EXIT_OK:
        return "success"
    if exit_code == EXIT_REJECTED:
        return "warning"
    if exit_code in (EXIT_LOCKED, EXIT_SIGTERM):
        return "retry"
    if exit_code in (EXIT_CONFIG, EXIT_CREDENTIALS):
        return "fail_fast"
    return "fail"


def run_stream(stream: str, api_key: str, subdomain: str, base_url: str | None) -> tuple[int, dict | None]:
    """Runs one stream's sync and returns its exit code and run report."""
    env = {**os.environ, **sync_environment(api_key, subdomain, base_url)}
    completed = subprocess.run(
        sync_command(stream), env=env, stdout=subprocess.PIPE, stderr=sys.stderr, text=True, check=False
    )
    return completed.returncode, last_json_line(completed.stdout)


try:
    from airflow import DAG
    from airflow.exceptions import AirflowException, AirflowFailException
    from airflow.hooks.base import BaseHook
    from airflow.operators.python import PythonOperator

    AIRFLOW = True
except ImportError:  # CI and plain python: the DAG is not built, the helpers above still are
    AIRFLOW = False


def _sync_task(stream: str, **context) -> None:
    connection = BaseHook.get_connection(CONNECTION_ID)
    # the connection's password holds the API key; its host the subdomain (or the https URL)
    exit_code, report = run_stream(stream, connection.password, connection.host, connection.extra_dejson.get("base_url"))
    if report is not None:
        context["ti"].xcom_push(key="run_report", value=report)
    state = outcome(exit_code)
    if state == "warning":
        context["ti"].log.warning("records were rejected: see _rejected/%s in the dataset", stream)
    elif state == "retry":
        raise AirflowException(f"{stream}: exit {exit_code}, another run holds the stream or it was stopped; retrying")
    elif state == "fail_fast":
        raise AirflowFailException(f"{stream}: exit {exit_code}, fix the configuration or the API key")
    elif state == "fail":
        raise AirflowException(f"{stream}: exit {exit_code}, see the task log")


if AIRFLOW:
    with DAG(
        dag_id="landed_freshdesk",
        description="Freshdesk into partitioned Parquet, one task per stream",
        schedule="@hourly",
        start_date=datetime(2026, 1, 1),
        catchup=False,
        max_active_runs=1,
        default_args={"retries": 3, "retry_delay": timedelta(minutes=5), "retry_exponential_backoff": True},
        tags=["landed", "freshdesk"],
    ) as dag:
        for name in STREAMS:
            PythonOperator(task_id=f"sync_{name}", python_callable=_sync_task, op_kwargs={"stream": name})


def _print_commands() -> None:
    """One JSON line per task: its command and its environment, less the key and subdomain,
    which the caller supplies from its own environment."""
    for stream in STREAMS:
        env = sync_environment("", "", None)
        del env["FRESHDESK_API_KEY"], env["FRESHDESK_SUBDOMAIN"]
        print(json.dumps({"task": f"sync_{stream}", "command": sync_command(stream), "env": env}))


if __name__ == "__main__" and "--print-commands" in sys.argv:
    _print_commands()
