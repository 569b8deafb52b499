# ec2: EC2 role in an instance profile
# Made by xraybuilder.
# Notes:
# - EC2 only: daemon download. s3:GetObject on arn:aws:s3:::aws-xray-assets.us-east-1/xray-daemon/*
#   lets the instance fetch the daemon installer from this Region's bucket.
# - Create the instance profile and add the role to it: the IAM console does this for EC2 roles, the
#   AWS CLI does not (aws iam create-instance-profile, then add-role-to-instance-profile).
# - If your application uses the AWS SDK for other services, add their permissions to the role as
#   well.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = var.region
}

resource "aws_iam_role" "this" {
  name = var.role_name

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "ec2.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy" "this" {
  name = var.policy_name
  role = aws_iam_role.this.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "XRayDaemonWrite"
        Effect = "Allow"
        Action = [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
          "xray:GetSamplingStatisticSummaries",
        ]
        Resource = [
          "*",
        ]
      },
      {
        Sid    = "XRayDaemonDownload"
        Effect = "Allow"
        Action = [
          "s3:GetObject",
        ]
        Resource = [
          "arn:${var.partition}:s3:::aws-xray-assets.${var.region}/xray-daemon/*",
        ]
      },
    ]
  })
}

resource "aws_iam_instance_profile" "this" {
  name = var.instance_profile_name
  role = aws_iam_role.this.name
}

variable "partition" {
  description = "AWS partition of the account (aws, aws-cn, aws-us-gov, …)."
  type        = string
  default     = "aws"
}

variable "region" {
  description = "AWS Region the policies name."
  type        = string
  default     = "us-east-1"
}

variable "role_name" {
  description = "Name of the IAM role."
  type        = string
  default     = "xray-ec2"
}

variable "instance_profile_name" {
  description = "Name of the instance profile holding the role."
  type        = string
  default     = "xray-ec2"
}

variable "policy_name" {
  description = "Name of the policy."
  type        = string
  default     = "XRayDaemonWrite"
}

output "role_arn" {
  description = "ARN of the role."
  value       = aws_iam_role.this.arn
}

output "instance_profile_arn" {
  description = "ARN of the instance profile."
  value       = aws_iam_instance_profile.this.arn
}
