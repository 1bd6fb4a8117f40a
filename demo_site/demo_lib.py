"""The demo pages' Python side of runtime.js (the module `demo_host` it registers): the same in
a worker and on a page's main thread."""
import json

import demo_host


def emit(kind, **data):
    """Send an event to the page (a message from the worker, or a direct call on the page)."""
    demo_host.emit(kind, json.dumps(data))


async def weights(path):
    """A file of the site's models/ folder as a bytearray (the Cache API after the first visit;
    the loaders view a bytearray without copying it)."""
    u8 = await demo_host.weights(path)
    buf = bytearray(u8.length)
    u8.assign_to(buf)
    return buf
