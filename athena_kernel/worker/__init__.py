"""The sandbox worker process: a confined IPython engine serving the kernel over a socket."""
