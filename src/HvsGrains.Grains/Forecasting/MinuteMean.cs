namespace HvsGrains.Grains.Forecasting;

/// <summary>The mean hottest surface of one minute, when it was (minutes before the latest reading) and the scatter of its readings.</summary>
public readonly record struct MinuteMean(double MinutesAgo, double MeanC, double VarianceC2, int Count);
