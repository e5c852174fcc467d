"""How big the national dataset is."""

DEMO_SLUG = "lichfield"
PARTNERSHIPS = 300
WARDS = 22
INDICATORS = 30
FIRST_YEAR, LAST_YEAR = 2018, 2023  # 24 quarters, 2018/19 Q1 to 2023/24 Q4
HUNDREDFOLD = 100  # copies of each demo priority in the memory partnership's plan
HUNDREDFOLD_SLUG = "hundredfold"
