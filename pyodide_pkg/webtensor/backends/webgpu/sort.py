IMPL = {}
