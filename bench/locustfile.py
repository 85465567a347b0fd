"""Locust load for Hunar's learners, driven by ``bench/bench_load.py`` (not run by the tests).

Each simulated learner is one demo-network account that signed in before the bell: the bench
hands every user its session cookie, its CSRF secret, its language and the lessons of the course
it is enrolled in (a JSON file named by HUNAR_LOAD_USERS). A learner opens "My learning" and the
lesson to continue with as the bell rings (``on_start``: the spike), then reads lessons one after
another, marking each one complete, with a think time between pages.

Add a behaviour as a TaskSet and give it a weight in ``Learner.tasks``. ``QuizTaking`` opens the
course quiz, starts (or resumes) an attempt, autosaves answers a few times and submits.
Every request is recorded (start time, name, milliseconds, status) to HUNAR_LOAD_RECORD as JSON
when Locust stops, so the bench can split the spike from the steady state.
"""

import itertools
import json
import os
import random
import re
import time

from locust import FastHttpUser, TaskSet, between, constant_pacing, events, task

USERS = json.loads(open(os.environ["HUNAR_LOAD_USERS"]).read())  # noqa: SIM115 -- read once
THINK = tuple(float(s) for s in os.environ.get("HUNAR_LOAD_THINK", "10,30").split(","))
FLOOR_PACING = float(os.environ.get("HUNAR_LOAD_FLOOR_PACING", "1"))
STATIC_URL = os.environ.get("HUNAR_LOAD_STATIC", "/static/css/hunar.css")
_next_user = itertools.count()
_records: list[tuple[float, str, float, int]] = []
CSRF_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEQUENCE = re.compile(r'name="sequence" value="(\d+)"')
POSITIONS = re.compile(r'name="positions" value="([^"]*)"')
CHOICE = re.compile(r'type="(?:radio|checkbox)" name="q-(\d+)" value="(\d+)"')
TEXT = re.compile(r'<(?:input type="text"|textarea)[^>]* name="q-(\d+)"')
AUTOSAVES_PER_ATTEMPT = 3
# Behaviours not simulated yet: project uploads (bench_assessments.py covers quiz load alone).
PENDING = ("ProjectUpload",)


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, start_time=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    if exception is not None and not status:
        status = 0  # connection refused, reset or timed out
    _records.append((start_time or time.time(), name, response_time, status))


@events.quitting.add_listener
def _dump(environment, **kwargs):
    path = os.environ.get("HUNAR_LOAD_RECORD")
    if path:
        with open(path, "w") as handle:
            json.dump(_records, handle)


class LessonReading(TaskSet):
    """Read the next lesson, mark it complete, sometimes look at "My learning"."""

    @task(10)
    def read_next_lesson(self):
        user = self.user
        url = user.lessons[user.position % len(user.lessons)]
        user.position += 1
        with user.client.get(
            url, name="lesson page", headers=user.cookies, catch_response=True
        ) as response:
            if response.status_code != 200 or "<article>" not in (response.text or ""):
                response.failure(f"lesson page answered {response.status_code}")
                return
            token = CSRF_FORM.search(response.text)
        if token and random.random() < 0.5:  # not every page is marked complete
            page_id = user.lesson_ids[url]
            user.client.post(
                f"{user.prefix}/learning/lessons/{page_id}/complete/",
                data={"csrfmiddlewaretoken": token[1]},
                name="mark complete",
                allow_redirects=False,
                headers={**user.cookies, "Referer": user.host + url},
            )

    @task(2)
    def dashboard(self):
        self.user.client.get(
            f"{self.user.prefix}/learning/", name="dashboard", headers=self.user.cookies
        )


class QuizTaking(TaskSet):
    """The course quiz: start or resume an attempt, autosave every think time, then submit."""

    def on_start(self):
        self.attempt_url, self.form, self.saves = None, None, 0

    def _answers(self, html: str) -> dict:
        token = CSRF_FORM.search(html)
        sequence, positions = SEQUENCE.search(html), POSITIONS.search(html)
        if not (token and sequence and positions):
            return {}
        fields = {"csrfmiddlewaretoken": token[1], "sequence": sequence[1]}
        fields["positions"] = positions[1]
        for position, value in CHOICE.findall(html):
            fields.setdefault(f"q-{position}", value)  # the first choice of each question
        for position in TEXT.findall(html):
            fields[f"q-{position}"] = "42"
        return fields

    @task
    def step(self):
        user = self.user
        headers = {**user.cookies, "Referer": user.host + (user.quiz_url or "/")}
        if not user.quiz_url:
            self.interrupt()
        if self.attempt_url is None:
            page = user.client.get(user.quiz_url, name="quiz page", headers=user.cookies)
            token = CSRF_FORM.search(page.text or "")
            if page.status_code != 200 or not token or "/start/" not in page.text:
                self.interrupt()  # no attempts left: back to reading
            started = user.client.post(
                f"{user.prefix}/learning/assessments/{user.quiz_id}/start/",
                data={"csrfmiddlewaretoken": token[1]}, name="quiz start",
                allow_redirects=False, headers=headers,
            )  # fmt: skip
            location = started.headers.get("Location", "") if started.headers else ""
            if started.status_code != 302 or "/attempts/" not in location:
                self.interrupt()
            self.attempt_url = location.replace(user.host, "")
            form = user.client.get(self.attempt_url, name="quiz attempt page", headers=user.cookies)
            self.form, self.saves = self._answers(form.text or ""), 0
            if not self.form:
                self.attempt_url = None
                self.interrupt()
            return
        if self.saves < AUTOSAVES_PER_ATTEMPT:
            saved = user.client.post(
                f"{self.attempt_url.split('?')[0]}autosave/", data=self.form,
                name="quiz autosave", headers=headers,
            )  # fmt: skip
            if saved.status_code == 200:
                self.form["sequence"] = str(saved.json()["sequence"])
            self.saves += 1
            return
        user.client.post(
            self.attempt_url.split("?")[0], data={**self.form, "action": "submit"},
            name="quiz submit", allow_redirects=False, headers=headers,
        )  # fmt: skip
        self.attempt_url = None
        self.interrupt()


class Learner(FastHttpUser):
    """One learner at a lab computer, signed in before the bell."""

    wait_time = between(*THINK)
    tasks = {LessonReading: 3, QuizTaking: 1}
    weight = 100

    def on_start(self):
        account = USERS[next(_next_user) % len(USERS)]
        self.prefix = "/ur" if account["language"] == "ur" else ""
        self.lessons = account["lessons"]
        self.lesson_ids = dict(zip(self.lessons, account["lesson_ids"], strict=True))
        self.position = account["position"]
        self.quiz_url, self.quiz_id = account.get("quiz_url", ""), account.get("quiz_id")
        # The cookies the learner's browser holds: its session and its CSRF secret.
        self.cookies = {
            "Cookie": f"sessionid={account['sessionid']}; csrftoken={account['csrftoken']}"
        }
        # The bell: "My learning", the stylesheet (a fresh browser), the lesson to continue.
        self.client.get(f"{self.prefix}/learning/", name="dashboard", headers=self.cookies)
        self.client.get(STATIC_URL, name="static (first visit)")
        lesson = self.lessons[self.position % len(self.lessons)]
        self.client.get(lesson, name="lesson page", headers=self.cookies)


class StaticFloor(FastHttpUser):
    """A static file fetched at a steady pace under the same load: the floor for the ratios."""

    wait_time = constant_pacing(FLOOR_PACING)
    weight = 1
    fixed_count = int(os.environ.get("HUNAR_LOAD_FLOOR_USERS", "4"))

    @task
    def static_file(self):
        self.client.get(STATIC_URL, name="static (floor)")
