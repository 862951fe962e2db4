"""The sign-in page: the only page registered while nobody is signed in."""

from ui.session import sign_in_form

sign_in_form()
