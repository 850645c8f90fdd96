# The Early Warning Project's rolling backtest, re-implemented in R with glmnet, for the speed comparison in
# bench_risk_backtest.py. Protocol as described in ../shared/data/ewp-2025/README.md (source:
# EarlyWarningProject/2025-Statistical-Risk-Assessment, 3.Modeling/model_3Sep2025.R): for each last training
# year L = 1991..2021, fit cv.glmnet (binomial, alpha 0.5, folds after set.seed(90035)) on complete cases of
# years <= L, predict the complete rows of year L + 2 at lambda.min, rank within the year; then combine the
# forecasts from Y-1 and Y-2 for each country-year Y. Like EWP's script it also fits the plain glmnet path
# once per origin (EWP keeps it to inspect the regularisation path).
# Usage: Rscript ewp_backtest.R PANEL.csv OUT.csv
suppressPackageStartupMessages({
  library(glmnet)
  library(dplyr)
  library(purrr)
  library(pROC)
})

args <- commandArgs(trailingOnly = TRUE)
panel <- read.csv(args[[1]])
outcomes <- c("mk_onset", "mk_onset_1", "mk_onset_2", "mk_onset_1or2")
predictors <- c(
  "widetargeting", "narrowtargeting", "v2csgender_binary", "v2mecenefm_binary", "partyban.new.0",
  "partyban.new.1", "partyban.new.2", "minorityrule", "judicialreform", "religiousfreedom",
  "pol_killing_approved", "freediscussion", "social_inequality", "even_civilrights", "repress_civilsoc",
  "social_power_dist", "ses_power_dist", "popsize.log2", "gdppcgrowth", "un_imr_sqrt", "efindex",
  "discrimpop", "reg.na", "reg.eap", "reg.sca", "reg.mna", "reg.eur", "ios.iccpr1", "battledeaths.log2",
  "coup.try.5yr", "mk_ongoing_count_log2", "mean_mk_onset_interaction", "mk_onset_prev_year", "newcountry",
  "mk_ever", "year_sq", "year", "countryage.new.log2", "includesnonstate"
)
ids <- c("ewp_name", "ccode", "year")

one_origin <- function(last_train) {
  train <- panel[panel$year <= last_train, unique(c(predictors, outcomes, ids))]
  train <- train[complete.cases(train), ]
  test <- panel[panel$year == last_train + 2, unique(c(predictors, ids, "mk_onset_1or2"))]
  test <- test[complete.cases(test), ]
  x <- as.matrix(train[, predictors])
  set.seed(90035)
  path <- glmnet(x = x, y = train$mk_onset_1or2, alpha = 0.5, family = "binomial")
  cv <- cv.glmnet(x = x, y = train$mk_onset_1or2, alpha = 0.5, family = "binomial")
  risk <- as.numeric(predict(cv, newx = as.matrix(test[, predictors]), s = "lambda.min", type = "response"))
  data.frame(ewp_name = test$ewp_name, year = last_train + 2, risk = risk,
             riskrank = rank(-risk, ties.method = "min"))
}

started <- Sys.time()
forecasts <- map_dfr(1991:2021, one_origin)
loop_seconds <- as.numeric(difftime(Sys.time(), started, units = "secs"))

first <- min(forecasts$year) + 1
last <- max(forecasts$year) + 2
keyed <- forecasts %>% select(ewp_name, year, risk, riskrank)
foos <- panel %>%
  filter(year >= first & year <= last) %>%
  select(year, ewp_name, ccode, mk_onset) %>%
  mutate(prev_year = year - 1, two_years_prior = year - 2) %>%
  left_join(rename(keyed, prev_year = year, risk_prev = risk, rank_prev = riskrank),
            by = c("ewp_name", "prev_year")) %>%
  left_join(rename(keyed, two_years_prior = year, risk_two_years_prior = risk,
                   rank_two_years_prior = riskrank),
            by = c("ewp_name", "two_years_prior")) %>%
  mutate(maxrisk2 = pmax(risk_prev, risk_two_years_prior, na.rm = TRUE),
         minrank2 = pmin(rank_prev, rank_two_years_prior, na.rm = TRUE))
write.csv(foos, args[[2]])

onsets <- foos[foos$mk_onset == 1, ]
auc_value <- as.numeric(auc(roc(foos$mk_onset, foos$maxrisk2, quiet = TRUE)))
cat(sprintf("R_LOOP_SECONDS %.2f\nR_AUC %.4f\nR_CAUGHT30 %d of %d\n", loop_seconds, auc_value,
            sum(onsets$minrank2 <= 30, na.rm = TRUE), nrow(onsets)))
