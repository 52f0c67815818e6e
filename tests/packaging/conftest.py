import pytest


@pytest.fixture
def steel():
    from interface.materials import get_material

    return get_material("steel")
