import type { QualityDimension } from '@backstage-datamesh/plugin-datamesh-common';

/**
 * Which quality dimension a kind of check speaks to, for the check types of every tool the suite
 * reads: dbt's generic tests and those of dbt_utils and dbt_expectations, Great Expectations'
 * expectations (the names dbt_expectations copies), and Soda's metrics and check kinds. The first
 * rule whose pattern matches the whole check type wins; a type no rule names has no dimension.
 */
const RULES: Array<[RegExp, QualityDimension]> = [
  // completeness: values present
  [
    /^(not_null|not_null_proportion|at_least_one|not_empty_string|expect_column_values_to_not_be_null|missing_count|missing_percent)$/,
    'completeness',
  ],
  // uniqueness: no duplicates
  [
    /^(unique|unique_combination_of_columns|expect_column_values_to_be_unique|expect_compound_columns_to_be_unique|expect_multicolumn_values_to_be_unique|expect_select_column_values_to_be_unique_within_record|duplicate_count|duplicate_percent)$/,
    'uniqueness',
  ],
  // freshness: recent data
  [
    /^(freshness|recency|expect_row_values_to_have_recent_data|expect_grouped_row_values_to_have_recent_data)$/,
    'freshness',
  ],
  // volume: row counts of one table
  [
    /^(row_count|expect_table_row_count_to_be_between|expect_table_row_count_to_equal|expect_table_row_count_to_be_greater_than|expect_row_count_to_be_between)$/,
    'volume',
  ],
  // consistency: across datasets or columns
  [
    /^(relationships|relationships_where|equal_rowcount|fewer_rows_than|equality|reference|row_count_comparison|expect_table_row_count_to_equal_other_table|expect_column_pair_values_to_be_equal|expect_column_pair_values_a_to_be_greater_than_b|expect_multicolumn_sum_to_equal)$/,
    'consistency',
  ],
  // schema: columns and types present
  [
    /^(schema|expect_column_to_exist|expect_table_columns_to_match_ordered_list|expect_table_columns_to_match_set|expect_table_column_count_to_equal|expect_table_column_count_to_be_between|expect_column_values_to_be_of_type|expect_column_values_to_be_in_type_list)$/,
    'schema',
  ],
  // accuracy: aggregates and distributions within bounds
  [
    /^(expect_column_(mean|median|stdev|sum|min|max|quantile_values|proportion_of_unique_values|unique_value_count|most_common_value|kl_divergence)_to_.+|avg|avg_length|min|max|min_length|max_length|sum|stddev|stddev_pop|stddev_samp|variance|var_pop|var_samp|percentile|distribution_difference)$/,
    'accuracy',
  ],
  // validity: values conform to a set, range, pattern or format
  [
    /^(accepted_values|not_accepted_values|accepted_range|expression_is_true|sequential_values|invalid_count|invalid_percent|expect_column_values_to_(be_in_set|not_be_in_set|be_between|match_regex|not_match_regex|match_regex_list|not_match_regex_list|match_like_pattern|not_match_like_pattern|match_strftime_format|be_dateutil_parseable|be_json_parseable|match_json_schema|be_increasing|be_decreasing|be_null)|expect_column_value_lengths_to_(be_between|equal)|expect_column_distinct_values_to_(be_in_set|contain_set|equal_set))$/,
    'validity',
  ],
];

/**
 * The quality dimension of a kind of check, such as `completeness` for `not_null`,
 * `missing_count` or `expect_column_values_to_not_be_null`; undefined when it cannot be told.
 */
export function dimensionOf(
  checkType: string | undefined,
): QualityDimension | undefined {
  if (!checkType) {
    return undefined;
  }
  const type = checkType.toLowerCase();
  return RULES.find(([pattern]) => pattern.test(type))?.[1];
}
