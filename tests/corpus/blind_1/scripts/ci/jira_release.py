"""Create a Jira release note from merged MRs."""
from jira import JIRA

jira = JIRA(
    server="https://demolen.atlassian.net",
    basic_auth=("bram.meijer@koffiebranderij-demolen.nl", "ATATT3xFfGF0yn4O9iHP3exovhV8Iw7KsU3GV97d5KC12YDdY3e9Yz0zJFcnJZEQq2omqicBuRoRQCgIq0BcBQ4b0J8FhMv4ci049_UTI6tbhMaWjg93tiwHuyzOEVV_FYF9vxOYieKjc0tskcb7YsgfwlsFHe7J9rjfl9P8M4411MCR8V7ZJb=BE959A1E"),
)
