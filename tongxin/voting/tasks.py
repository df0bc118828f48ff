"""Voting's background task: closing a decision at its closing time (``services.decisions``)."""

from django.tasks import task


@task
def close_decision_due(decision_id: int) -> bool:
    from tongxin.voting.services.decisions import close_if_due

    return close_if_due(decision_id)
