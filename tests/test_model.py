import dataclasses
import inspect
import pickle
from decimal import Decimal

import pytest

from govreport_check.model import Cell, Loc, Value
from govreport_check.rules.rule import Outcome

HAND_INIT = (Loc, Cell, Value, Outcome)  # frozen dataclasses with a faster __init__ of their own


@pytest.mark.parametrize("cls", HAND_INIT, ids=lambda c: c.__name__)
def test_hand_written_init_takes_exactly_the_fields(cls):
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    assert [p.default for p in params] == [inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
                                           for f in fields]


def test_they_behave_as_frozen_dataclasses():
    loc = Loc("r.txt", 3)
    value = Value(Decimal(2), "2", "number", loc)
    cell = Cell("2", loc)
    assert (loc, cell, value) == (Loc("r.txt", line=3), Cell("2", Loc("r.txt", 3), 1, 1, False),
                                  Value(Decimal(2), "2", "number", Loc("r.txt", 3), None, None))
    assert hash(loc) == hash(Loc("r.txt", 3)) and len({cell, Cell("2", loc)}) == 1
    assert dataclasses.replace(value, number=Decimal(3)) == Value(Decimal(3), "2", "number", loc)
    assert pickle.loads(pickle.dumps(value)) == value
    assert repr(loc) == "Loc(path='r.txt', line=3, page=None, table=None, row=None, col=None, paragraph=None)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        loc.line = 4  # type: ignore[misc]
    with pytest.raises(TypeError):
        Value(Decimal(1), "1")  # type: ignore[call-arg]
