"""The package imports and exposes its public names."""

import spreedly_sdk


def test_public_surface() -> None:
    assert spreedly_sdk.__version__
    assert spreedly_sdk.Client.__name__ == "Client"
    assert issubclass(spreedly_sdk.InvalidRequestError, ValueError)
