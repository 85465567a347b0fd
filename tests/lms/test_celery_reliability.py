"""The Celery settings that make a broker or worker outage cost minutes, not work
(docs/decisions/0019-no-task-lost.md). These read the real settings and the real task registry."""

from django.conf import settings

from lms.celery import app


def _our_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_a_dead_workers_tasks_come_back_within_minutes_and_no_running_task_twice():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    tasks = _our_tasks()
    assert "certificates.cohort_batch_chunk_task" in tasks
    for name, task in tasks.items():
        limit = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        assert limit < visibility, f"{name} may still run when Redis hands it out again"
        if getattr(task, "autoretry_for", ()):
            backoff = getattr(task, "retry_backoff_max", 600) if task.retry_backoff else 0
            countdown = max(backoff, task.default_retry_delay or 0)
            assert countdown < visibility, f"{name}'s retry would be delivered twice"
    assert visibility <= 15 * 60, "a dead worker's tasks would wait more than 15 minutes"


def test_queueing_with_the_broker_down_gives_up_within_about_a_second():
    policy = settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    waited = sum(
        min(policy["interval_start"] + n * policy["interval_step"], policy["interval_max"])
        for n in range(policy["max_retries"])
    )
    assert waited <= 2


def test_tasks_queued_by_web_requests_store_no_result():
    """The web process then never touches the result backend, whose client hung a request for
    about 20 s and raised "must be restarted" while Redis was down."""
    tasks = _our_tasks()
    for name in ("certificates.certificate_render_pdf_task",
                 "certificates.certificate_notify_learner_task"):  # fmt: skip
        assert tasks[name].ignore_result, name


def test_beat_sweeps_owed_certificates_every_minute_and_drops_stale_sweeps():
    entry = settings.CELERY_BEAT_SCHEDULE["certificates-follow-up-sweep"]
    assert entry["task"] == "certificates.certificates_follow_up_sweep_task"
    assert entry["schedule"] <= 60
    assert entry["options"]["expires"] <= entry["schedule"]
    assert entry["task"] in _our_tasks()
