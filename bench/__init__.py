"""Tools kept beside the product, not in it: benchmarks (`make bench`), data at a region's size
(`python -m bench.scale kabupaten`) and the soak run (`make soak`)."""
