"""Satisfaction surveys (phiếu khảo sát mức độ hài lòng): SIPAS factors, overall score, trips."""
