"""The input mechanisms every detector reads through, and nothing else.

One file reader (``files``: non-blocking, regular files only, capped), one
HTTP exchange under one deadline (``http``, ``deadline``), one URL cleaner and
endpoint parser (``urls``), typed accessors for replies (``reply``), whole
numbers from the environment (``environ``), and the cgroup and mount-table
parser (``cgroup``). A detector that needs the outside world asks one of
these, so a whole class of failure (a FIFO, a dripping reply, a URL with a
password, a field of the wrong type) is handled once, here.
"""
