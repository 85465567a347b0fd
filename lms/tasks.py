from celery import shared_task


@shared_task(name="lms.ping_task")
def ping_task(payload: str = "pong") -> dict:
    """Answer from a worker: operators check a deployment with
    ``celery -A lms call lms.ping_task``; the test suite uses it for a real round trip."""
    import os
    import socket

    return {"payload": payload, "host": socket.gethostname(), "pid": os.getpid()}
