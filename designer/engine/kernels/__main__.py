"""`python -m designer.engine.kernels`: compile and cache the engine's kernels now."""

from designer.engine.kernels import _all_kernels, warm_up

if __name__ == "__main__":
    ready = warm_up()
    print(f"engine kernels ready: {ready} of {len(_all_kernels())}")
