#!/usr/bin/env bash
# ec2: EC2 role in an instance profile
# Made by xraybuilder. Run it with bash, or pipe it: xraybuilder new ec2 --format aws-cli --print | bash
# Run it once. On a second run these commands fail because what they create exists, and set -e stops
# the script at the first of them: create-role, create-instance-profile,
# add-role-to-instance-profile (an instance profile holds one role). put-*-policy and
# attach-*-policy commands replace what is there and never fail for that.
# Notes:
# - EC2 only: daemon download. s3:GetObject on arn:aws:s3:::aws-xray-assets.us-east-1/xray-daemon/*
#   lets the instance fetch the daemon installer from this Region's bucket.
# - Create the instance profile and add the role to it: the IAM console does this for EC2 roles, the
#   AWS CLI does not (aws iam create-instance-profile, then add-role-to-instance-profile).
# - If your application uses the AWS SDK for other services, add their permissions to the role as
#   well.

set -euo pipefail

PARTITION=aws
REGION=us-east-1
ROLE_NAME=xray-ec2
INSTANCE_PROFILE_NAME=xray-ec2
POLICY_NAME=XRayDaemonWrite

# The role xray-ec2, with the trust policy saying who may assume it.
TRUST_POLICY=$(cat <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Service": "ec2.amazonaws.com"
      },
      "Action": "sts:AssumeRole"
    }
  ]
}
JSON
)
aws iam create-role --role-name "$ROLE_NAME" --assume-role-policy-document "$TRUST_POLICY"

# The inline policy XRayDaemonWrite of the role.
POLICY_DOCUMENT=$(cat <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "XRayDaemonWrite",
      "Effect": "Allow",
      "Action": [
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:GetSamplingStatisticSummaries"
      ],
      "Resource": [
        "*"
      ]
    },
    {
      "Sid": "XRayDaemonDownload",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject"
      ],
      "Resource": [
        "arn:${PARTITION}:s3:::aws-xray-assets.${REGION}/xray-daemon/*"
      ]
    }
  ]
}
JSON
)
aws iam put-role-policy \
    --role-name "$ROLE_NAME" \
    --policy-name "$POLICY_NAME" \
    --policy-document "$POLICY_DOCUMENT"

# The instance profile xray-ec2, holding the role.
aws iam create-instance-profile --instance-profile-name "$INSTANCE_PROFILE_NAME"
aws iam add-role-to-instance-profile \
    --instance-profile-name "$INSTANCE_PROFILE_NAME" \
    --role-name "$ROLE_NAME"
