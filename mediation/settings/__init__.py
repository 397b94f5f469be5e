"""The office's own settings, changed by an administrator and audited: the local minimum wage (with the
date each applies from), the green channel's targets, the office's name."""
