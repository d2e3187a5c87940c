"""The one base class for errors a user can cause and should read about."""


class DomainError(Exception):
    """A rule of the marketplace was broken. `message` is translated text for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
