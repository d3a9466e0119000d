"""The errors every service raises."""


class ReportError(Exception):
    """A refused operation; ``messages`` say what and where, in Chinese."""

    def __init__(self, messages: list[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(self.messages))
