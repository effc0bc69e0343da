"""HvsGrains training pipeline: simulator dataset -> grouped validation -> ONNX hazard model.

Debian packages only (python3-sklearn, -xgboost, -imblearn, -pandas, -matplotlib, -onnx, -pytest);
run with /usr/bin/python3. Features are never recomputed here: they come from the dataset, written
by the module grain's own C# feature code (src/HvsGrains.Simulation dataset command).
"""

__version__ = "1.0.0"
