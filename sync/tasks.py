from celery import shared_task

from .node import node_sync


@shared_task
def node_sync_task() -> dict:
    return node_sync().as_dict()
