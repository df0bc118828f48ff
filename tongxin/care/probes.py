def probes(world):
    return []
