"""slugify: turn a title into a URL slug (a reval sample repository)."""


def slugify(title):
    """Lower-case words joined by single hyphens."""
    return title.lower().replace(" ", "-")
