"""Fitting the meeting confidence: the logistic fit, the calibration measures, the labels."""

from __future__ import annotations

import numpy

from zh_invest_ner.components.meetings.confidence import FEATURES, article_context, confidence, features
from zh_invest_ner.training.confidence import (
    expected_calibration_error,
    fit_logistic,
    halves_precision,
    is_right,
    same_company,
)


def test_the_fit_recovers_known_weights():
    rng = numpy.random.default_rng(0)
    x = rng.normal(size=(4000, 2))
    p = 1 / (1 + numpy.exp(-(0.5 + 2.0 * x[:, 0] - 1.0 * x[:, 1])))
    y = (rng.random(4000) < p).astype(float)
    weights, bias = fit_logistic(x, y, l2=0.01)
    assert numpy.allclose(weights, [2.0, -1.0], atol=0.2) and abs(bias - 0.5) < 0.2


def test_calibration_error_and_halves():
    assert expected_calibration_error([0.9] * 10, [1] * 9 + [0]) < 1e-9
    assert abs(expected_calibration_error([0.9] * 10, [0] * 10) - 0.9) < 1e-9
    assert halves_precision([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 1]) == (1.0, 0.5)


def test_labels_accept_the_short_form_of_the_gold_company():
    assert same_company("数衡科技", "上海数衡信息科技有限公司")
    assert not same_company("听取", "上海数衡信息科技有限公司")
    gold = [["王强", "李明", "华宇智能装备有限公司"]]
    assert is_right({"official": "王强", "executive": "李明", "company": "华宇智能"}, gold)
    assert not is_right({"official": "王强", "executive": "周平", "company": "华宇智能"}, gold)


def test_confidence_of_a_record():
    record = {"official": "王强", "official_title": "市长", "executive": "李明", "executive_title": "董事长",
              "company": "华宇智能装备有限公司", "participation": "principal", "meeting_type": "会见",
              "sentence": "市长王强会见了华宇智能装备有限公司董事长李明。"}
    model_lists = {"registered_endings": ["有限公司"], "place_endings": ["区", "管委会"]}
    context = article_context([record], model_lists)
    names = list(FEATURES)
    assert len(features(record, context, names)) == len(names)
    model = {"features": names, "weights": [1.0] * len(names), "bias": -2.0}
    weak = {**record, "participation": "accompanying", "meeting_type": None}
    assert 0 < confidence(weak, context, model) < confidence(record, context, model) < 1
    assert confidence(record, context, {"features": []}) is None
    # a district taken for the company is a sign of a wrong record
    place = {**record, "company": "临川区", "sentence": record["sentence"].replace("华宇智能装备有限公司", "临川区")}
    assert features(place, context, ["company_place_ending"]) == [1.0]
    assert features(record, context, ["company_place_ending"]) == [0.0]
